"""One module per CLI subcommand, each exposing `register(subparsers)`."""
