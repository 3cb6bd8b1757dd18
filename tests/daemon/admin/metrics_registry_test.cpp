#include "admin/metrics_registry.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "admin/daemon_metrics.h"
#include "admin/prometheus_text.h"

namespace wasi_socketd::daemon {
namespace {

TEST(MetricsRegistryTest, CounterRendersHelpTypeAndLabelledSamples) {
  MetricsRegistry registry;
  auto& bytes = registry.counter("x_bytes_total", "Bytes carried", {"tenant", "direction"});
  bytes.with({"alpha", "in"}).add(10);
  bytes.with({"alpha", "in"}).add(5);
  bytes.with({"beta", "out"}).add();
  EXPECT_EQ(registry.render(),
            "# HELP x_bytes_total Bytes carried\n"
            "# TYPE x_bytes_total counter\n"
            "x_bytes_total{tenant=\"alpha\",direction=\"in\"} 15\n"
            "x_bytes_total{tenant=\"beta\",direction=\"out\"} 1\n");
}

TEST(MetricsRegistryTest, GaugeGoesUpAndDownAndHasNoBracesWithoutLabels) {
  MetricsRegistry registry;
  auto& gauge = registry.gauge("x_sessions", "Sessions").with({});
  gauge.add(3);
  gauge.sub(1);
  EXPECT_EQ(registry.render(),
            "# HELP x_sessions Sessions\n# TYPE x_sessions gauge\nx_sessions 2\n");
}

TEST(MetricsRegistryTest, LabelValuesAndHelpAreEscaped) {
  MetricsRegistry registry;
  registry.counter("x_total", "a \\ b\nc", {"name"}).with({"q\"uo\\te\nnl"}).add();
  EXPECT_EQ(registry.render(),
            "# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\n"
            "x_total{name=\"q\\\"uo\\\\te\\nnl\"} 1\n");
}

TEST(MetricsRegistryTest, FamiliesOfAllKindsAreSortedByName) {
  MetricsRegistry registry;
  registry.gauge("b_gauge", "g").with({}).set(1);
  registry.counter("c_total", "c").with({}).add();
  registry.collected_gauge("a_collected", "a", {"state"}, [] {
    return std::vector<Sample>{{{"listening"}, 2}, {{"connected"}, 0.5}};
  });
  EXPECT_EQ(registry.render(),
            "# HELP a_collected a\n# TYPE a_collected gauge\n"
            "a_collected{state=\"listening\"} 2\na_collected{state=\"connected\"} 0.5\n"
            "# HELP b_gauge g\n# TYPE b_gauge gauge\nb_gauge 1\n"
            "# HELP c_total c\n# TYPE c_total counter\nc_total 1\n");
}

TEST(MetricsRegistryTest, RegisteringANameTwiceReturnsTheSameFamily) {
  MetricsRegistry registry;
  auto& first = registry.counter("x_total", "x", {"a"});
  auto& second = registry.counter("x_total", "other help", {"b"});
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(&first.with({"1"}), &second.with({"1"}));
}

TEST(MetricsRegistryTest, ConcurrentIncrementsAreNotLost) {
  MetricsRegistry registry;
  auto& family = registry.counter("x_total", "x", {"tenant"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&family, t] {
      for (int i = 0; i < 10000; ++i) family.with({t % 2 ? "odd" : "even"}).add();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(family.with({"odd"}).value(), 20000u);
  EXPECT_EQ(family.with({"even"}).value(), 20000u);
}

TEST(PrometheusTextTest, ValuesPrintIntegralOrRoundTripping) {
  EXPECT_EQ(prometheus::format_value(42), "42");
  EXPECT_EQ(prometheus::format_value(-3), "-3");
  EXPECT_EQ(prometheus::format_value(0.25), "0.25");
  EXPECT_EQ(prometheus::format_value(1.0 / 0.0), "+Inf");
}

TEST(DaemonMetricsTest, TenantHandlesFeedTheNamedFamilies) {
  MetricsRegistry registry;
  DaemonMetrics metrics(registry);
  auto alpha = metrics.tenant("alpha");
  EXPECT_EQ(alpha, metrics.tenant("alpha"));
  alpha->session_opened();
  alpha->session_opened();
  alpha->session_closed();
  alpha->tcp_bytes(100, 7);
  alpha->udp_bytes(0, 3);
  alpha->denial("tcp.connect", "alpha.tcp.connect[2]");
  alpha->error("connection-refused");
  alpha->would_block();
  alpha->would_block();
  alpha->socket_created("tcp");
  metrics.connection_refused("unknown-peer");
  metrics.policy_reload(false);
  const auto text = registry.render();
  for (const char* line :
       {"wasi_socketd_sessions{tenant=\"alpha\"} 1\n",
        "wasi_socketd_sessions_opened_total{tenant=\"alpha\"} 2\n",
        "wasi_socketd_bytes_total{tenant=\"alpha\",protocol=\"tcp\",direction=\"in\"} 100\n",
        "wasi_socketd_bytes_total{tenant=\"alpha\",protocol=\"tcp\",direction=\"out\"} 7\n",
        "wasi_socketd_bytes_total{tenant=\"alpha\",protocol=\"udp\",direction=\"out\"} 3\n",
        "wasi_socketd_denials_total{tenant=\"alpha\",operation=\"tcp.connect\","
        "rule=\"alpha.tcp.connect[2]\"} 1\n",
        "wasi_socketd_retries_total{tenant=\"alpha\"} 2\n",
        "wasi_socketd_errors_total{tenant=\"alpha\",code=\"connection-refused\"} 1\n",
        "wasi_socketd_sockets_created_total{tenant=\"alpha\",protocol=\"tcp\"} 1\n",
        "wasi_socketd_connections_refused_total{reason=\"unknown-peer\"} 1\n",
        "wasi_socketd_policy_reloads_total{result=\"rejected\"} 1\n",
        "# TYPE wasi_socketd_start_time_seconds gauge\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nnot in:\n" << text;
  }
}

}  // namespace
}  // namespace wasi_socketd::daemon
