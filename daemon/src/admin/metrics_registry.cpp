#include "admin/metrics_registry.h"

#include "admin/prometheus_text.h"

namespace wasi_socketd::daemon {
namespace {

template <class Family>
void render_family(std::string& out, const Family& family, const char* type) {
  prometheus::append_header(out, family.name(), family.help(), type);
  family.for_each([&](const LabelValues& labels, auto value) {
    prometheus::append_sample(out, family.name(), family.label_names(), labels,
                              std::to_string(value));
  });
}

}  // namespace

MetricFamily<Counter>& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                                std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  auto& family = counters_[name];
  if (!family) family = std::make_unique<MetricFamily<Counter>>(name, help, std::move(label_names));
  return *family;
}

MetricFamily<Gauge>& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                            std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  auto& family = gauges_[name];
  if (!family) family = std::make_unique<MetricFamily<Gauge>>(name, help, std::move(label_names));
  return *family;
}

void MetricsRegistry::collected_gauge(const std::string& name, const std::string& help,
                                      std::vector<std::string> label_names, Collector collect) {
  std::lock_guard lock(mutex_);
  collected_.try_emplace(name, Collected{help, std::move(label_names), std::move(collect)});
}

void MetricsRegistry::before_collecting(std::function<void()> prepare) {
  std::lock_guard lock(mutex_);
  prepare_ = std::move(prepare);
}

std::string MetricsRegistry::render() const {
  // Merge the three kinds by name so the output order does not depend on how a metric is kept.
  std::map<std::string, std::function<void(std::string&)>> renderers;
  std::map<std::string, const Collected*> collected;
  std::function<void()> prepare;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, family] : counters_) {
      renderers[name] = [family = family.get()](std::string& out) {
        render_family(out, *family, "counter");
      };
    }
    for (const auto& [name, family] : gauges_) {
      renderers[name] = [family = family.get()](std::string& out) {
        render_family(out, *family, "gauge");
      };
    }
    for (const auto& [name, entry] : collected_) collected[name] = &entry;
    prepare = prepare_;
  }
  if (prepare) prepare();
  // Collectors run without the registry lock: they may take locks of their own.
  for (const auto& [name, entry] : collected) {
    renderers[name] = [&name = name, entry = entry](std::string& out) {
      prometheus::append_header(out, name, entry->help, "gauge");
      for (const auto& sample : entry->collect()) {
        prometheus::append_sample(out, name, entry->label_names, sample.labels,
                                  prometheus::format_value(sample.value));
      }
    };
  }
  std::string out;
  for (const auto& [name, render] : renderers) render(out);
  return out;
}

}  // namespace wasi_socketd::daemon
