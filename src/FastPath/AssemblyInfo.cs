// Stack buffers on lookup paths are always written before they are read; zeroing them costs nanoseconds per lookup.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
