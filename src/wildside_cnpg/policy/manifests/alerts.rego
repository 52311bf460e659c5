# Alerts: every alerting rule of a PrometheusRule tells the on-call what happened and
# what to check, and how urgent it is.
package wildside_cnpg

prometheus_rules := [doc |
	some doc in objects_of_kind("PrometheusRule")
	startswith(get(doc, "apiVersion", ""), "monitoring.coreos.com/")
]

# [rule document, path, alerting rule]
_alerting_rules contains [doc, sprintf("spec.groups[%d].rules[%d]", [g, r]), rule] if {
	some doc in prometheus_rules
	some g, group in get(doc, ["spec", "groups"], [])
	some r, rule in get(group, "rules", [])
	is_string(get(rule, "alert", null))
}

# rule M1
deny_m1 contains msg if {
	some [doc, path, rule] in _alerting_rules
	some field in ["summary", "description"]
	not filled(get(rule, ["annotations", field], null))
	msg := sprintf("%s: %s.annotations.%s: not set for alert %s; the on-call reads what happened and what to check there", [ref(doc), path, field, rule.alert])
}

# rule M2
deny_m2 contains msg if {
	some [doc, path, rule] in _alerting_rules
	severity := get(rule, ["labels", "severity"], null)
	not severity in {"critical", "warning", "info"}
	msg := sprintf("%s: %s.labels.severity: expected critical, warning or info for alert %s (routing depends on it), got %s", [ref(doc), path, rule.alert, show(severity)])
}
