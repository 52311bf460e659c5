"""wildside-cnpg: PostgreSQL with PostGIS on Kubernetes through CloudNativePG."""

__version__ = "0.1.0"
