"""Parses Prometheus' text exposition format from standard input with the Prometheus project's own Python client
(prometheus_client's parser) and prints every sample as JSON: [{"name", "labels", "value"}]. Run by
tests/EndToEnd.Tests/Web/WebTests.cs on a silo's /metrics; a line the parser refuses fails the run."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

samples = [
    {"family": family.name, "type": family.type, "name": sample.name, "labels": sample.labels, "value": sample.value}
    for family in text_string_to_metric_families(sys.stdin.read())
    for sample in family.samples
]
json.dump(samples, sys.stdout)
