// Counters and gauges with labels, rendered in the Prometheus text exposition format (0.0.4).
//
// Thread-safety: everything may be called from any thread. Families are created once (under a
// mutex) and live as long as the registry; a labelled child (`family.with({...})`) is created on
// first use and its reference stays valid for the registry's life, so hot paths look it up once and
// then only touch an atomic. Collected gauges are computed by a callback at render time, for values
// that already live elsewhere (e.g. sockets by state, walked from the live sessions).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wasi_socketd::daemon {

using LabelValues = std::vector<std::string>;

// Only goes up (Prometheus counters reset only when the process restarts).
class Counter {
 public:
  void add(std::uint64_t amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Goes up and down.
class Gauge {
 public:
  void set(std::int64_t value) { value_.store(value, std::memory_order_relaxed); }
  void add(std::int64_t amount) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void sub(std::int64_t amount) { value_.fetch_sub(amount, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// One metric name with fixed label names; one child per distinct tuple of label values.
template <class Metric>
class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

  // The child for these label values (as many as label names; missing ones count as "").
  Metric& with(LabelValues values) {
    values.resize(label_names_.size());
    std::lock_guard lock(mutex_);
    auto& child = children_[std::move(values)];
    if (!child) child = std::make_unique<Metric>();
    return *child;
  }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Calls visit(label values, value) for every child, in label order.
  template <class Visitor>
  void for_each(Visitor&& visit) const {
    std::lock_guard lock(mutex_);
    for (const auto& [values, child] : children_) visit(values, child->value());
  }

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  mutable std::mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Metric>> children_;
};

// One value of a collected gauge.
struct Sample {
  LabelValues labels;
  double value = 0;
};

class MetricsRegistry {
 public:
  using Collector = std::function<std::vector<Sample>()>;

  // Names follow Prometheus conventions: counters end in _total. Registering a name twice
  // returns the first family (the help and labels of later calls are ignored).
  MetricFamily<Counter>& counter(const std::string& name, const std::string& help,
                                 std::vector<std::string> label_names = {});
  MetricFamily<Gauge>& gauge(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names = {});
  // A gauge whose samples `collect` computes on each render. `collect` runs on the rendering
  // thread and must not call back into the registry.
  void collected_gauge(const std::string& name, const std::string& help,
                       std::vector<std::string> label_names, Collector collect);

  // Runs `prepare` once at the start of every render, before the collectors (without the registry
  // lock): collectors that share one pass over the daemon's state take it there.
  void before_collecting(std::function<void()> prepare);

  // Every family, sorted by name, in the text exposition format.
  std::string render() const;

 private:
  struct Collected {
    std::string help;
    std::vector<std::string> label_names;
    Collector collect;
  };

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<MetricFamily<Counter>>> counters_;
  std::map<std::string, std::unique_ptr<MetricFamily<Gauge>>> gauges_;
  std::map<std::string, Collected> collected_;
  std::function<void()> prepare_;
};

}  // namespace wasi_socketd::daemon
