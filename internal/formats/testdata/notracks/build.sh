#!/bin/sh
# Builds the three programs.
set -e
version=1.2
go build -o bin/ ./converter ./worker ./fcgi
echo "built $version";
