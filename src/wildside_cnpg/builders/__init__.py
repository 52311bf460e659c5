"""One pure function per resource family: typed inputs in, plain dicts out, no I/O."""
