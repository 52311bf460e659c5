"""The PgBouncer settings a Pooler may carry in spec.pgbouncer.parameters.

CloudNativePG's Pooler webhook refuses every other key: ALLOWED is exactly
AllowedPgbouncerGenericConfigurationParameters of CloudNativePG 1.30.0's
internal/webhook/v1/pooler_webhook.go (a test pins it against that file). Of them,
PgBouncer reads READ_AT_START only when it starts (CF_NO_RELOAD in its src/main.c):
CNPG's reload of a changed configuration leaves them as they were until the
PgBouncer pods restart."""

from __future__ import annotations

ALLOWED = frozenset(
    [
        "application_name_add_host",
        "auth_type",
        "autodb_idle_timeout",
        "cancel_wait_timeout",
        "client_idle_timeout",
        "client_login_timeout",
        "client_tls_ciphers",
        "client_tls_sslmode",
        "client_tls13_ciphers",
        "default_pool_size",
        "disable_pqexec",
        "dns_max_ttl",
        "dns_nxdomain_ttl",
        "idle_transaction_timeout",
        "ignore_startup_parameters",
        "listen_backlog",
        "log_connections",
        "log_disconnections",
        "log_pooler_errors",
        "log_stats",
        "max_client_conn",
        "max_db_connections",
        "max_packet_size",
        "max_prepared_statements",
        "max_user_connections",
        "min_pool_size",
        "pkt_buf",
        "query_timeout",
        "query_wait_timeout",
        "reserve_pool_size",
        "reserve_pool_timeout",
        "sbuf_loopcnt",
        "server_check_delay",
        "server_check_query",
        "server_connect_timeout",
        "server_fast_close",
        "server_idle_timeout",
        "server_lifetime",
        "server_login_retry",
        "server_reset_query",
        "server_reset_query_always",
        "server_round_robin",
        "server_tls_ciphers",
        "server_tls13_ciphers",
        "server_tls_protocols",
        "server_tls_sslmode",
        "stats_period",
        "suspend_timeout",
        "tcp_defer_accept",
        "tcp_socket_buffer",
        "tcp_keepalive",
        "tcp_keepcnt",
        "tcp_keepidle",
        "tcp_keepintvl",
        "tcp_user_timeout",
        "track_extra_parameters",
        "verbose",
    ]
)

READ_AT_START = frozenset(["disable_pqexec", "listen_backlog", "pkt_buf"])

# Settings with inputs of their own: one place says each.
WITH_INPUTS = {
    "max_client_conn": "pooler_max_client_connections",
    "default_pool_size": "pooler_default_pool_size",
}
