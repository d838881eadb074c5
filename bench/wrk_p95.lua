-- Print the latency percentiles wrk measured, in milliseconds, one per line, for bench/web_bench.py.
done = function(summary, latency, requests)
  io.write(string.format("P50_MS %.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("P95_MS %.3f\n", latency:percentile(95) / 1000))
  io.write(string.format("P99_MS %.3f\n", latency:percentile(99) / 1000))
  io.write(string.format("REQUESTS %d\n", summary.requests))
  io.write(string.format("NON2XX %d\n", summary.errors.status))
  io.write(string.format("SOCKET_ERRORS %d\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
