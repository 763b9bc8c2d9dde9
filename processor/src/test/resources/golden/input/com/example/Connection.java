package com.example;

public final class Connection {}
