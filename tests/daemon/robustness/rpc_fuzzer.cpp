#include "rpc_fuzzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "wasi_socketd/limits.h"

namespace wasi_socketd::testing {

namespace {

constexpr std::uint64_t kMax64 = std::numeric_limits<std::uint64_t>::max();

// Statuses the daemon may give a hostile client without being wrong: OK (the WIT error is in the
// body), RESOURCE_EXHAUSTED (a message over the size limit) and FAILED_PRECONDITION (a session
// that cannot take the call, such as a second Attach).
bool acceptable(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return true;
    default:
      return false;
  }
}

}  // namespace

void IdPool::add(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  if (ids_.size() < 4096) {
    ids_.push_back(id);
  }
}

std::uint64_t IdPool::pick(std::mt19937_64& random) {
  std::lock_guard lock(mutex_);
  if (ids_.empty()) {
    return 0;
  }
  return ids_[random() % ids_.size()];
}

RpcFuzzer::RpcFuzzer(std::string target, std::uint64_t seed, IdPool& pool)
    : target_(std::move(target)), random_(seed), pool_(pool) {
  reconnect();
}

void RpcFuzzer::reconnect() {
  // Dropping the old client without detaching: the abrupt end a crashing client causes.
  client_ = std::make_unique<TestClient>(target_);
  own_ids_.clear();
  listening_ports_.clear();
  attached_ = random_() % 8 != 0;  // some sessions never attach
  if (attached_) {
    EXPECT_TRUE(client_->attach()) << "a fresh session could not attach";
  }
  grpc::Status status;
  network_ = client_
                 ->call(client_->network(), &v1::Network::Stub::InstanceNetwork,
                        v1::InstanceNetworkRequest{}, &status)
                 .network_id();
  EXPECT_TRUE(status.ok()) << status.error_message();
  pool_.add(network_);
  ++stats_.reconnects;
}

void RpcFuzzer::remember(std::uint64_t id) {
  if (id != 0) {
    own_ids_.push_back(id);
    pool_.add(id);
  }
}

RpcFuzzer::Pick RpcFuzzer::pick_id() {
  const auto roll = random_() % 10;
  if (roll < 7 && !own_ids_.empty()) {
    return {own_ids_[random_() % own_ids_.size()], Source::kOwn};
  }
  if (roll < 9) {
    const std::uint64_t foreign = pool_.pick(random_);
    if (foreign != 0 && std::find(own_ids_.begin(), own_ids_.end(), foreign) == own_ids_.end() &&
        foreign != network_) {
      return {foreign, Source::kForeign};
    }
  }
  static constexpr std::uint64_t kBoundaries[] = {0, 1, kMax64, kMax64 / 4, 1ull << 62};
  if (random_() % 2 == 0) {
    return {kBoundaries[random_() % std::size(kBoundaries)], Source::kRandom};
  }
  return {random_(), Source::kRandom};
}

std::uint64_t RpcFuzzer::pick_network() {
  const auto roll = random_() % 8;
  if (roll < 6) {
    return network_;
  }
  return roll == 6 ? pool_.pick(random_) : random_();
}

v1::IpAddressFamily RpcFuzzer::pick_family() {
  static constexpr int kFamilies[] = {0, 1, 2, 1, 2, 3, -1, 1000};
  return static_cast<v1::IpAddressFamily>(kFamilies[random_() % std::size(kFamilies)]);
}

v1::IpSocketAddress RpcFuzzer::pick_address() {
  const auto roll = random_() % 10;
  const v1::IpAddressFamily family =
      random_() % 2 ? v1::IP_ADDRESS_FAMILY_IPV4 : v1::IP_ADDRESS_FAMILY_IPV6;
  v1::IpSocketAddress address = loopback(family);
  if (roll < 4 && !listening_ports_.empty()) {
    address =
        loopback(v1::IP_ADDRESS_FAMILY_IPV4, listening_ports_[random_() % listening_ports_.size()]);
  } else if (roll < 6) {
    address.set_port(static_cast<std::uint32_t>(random_() % 70000));  // some above 65535
  } else if (roll == 6) {
    address.mutable_address()->set_octets(pick_bytes(20));  // bad lengths
  } else if (roll == 7) {
    address.mutable_address()->set_family(pick_family());
    address.set_port(static_cast<std::uint32_t>(random_()));
  } else if (roll == 8) {
    address.mutable_address()->set_octets(std::string("\x0a\x00\x00\x01", 4));  // not loopback
    address.set_flow_info(static_cast<std::uint32_t>(random_()));
    address.set_scope_id(static_cast<std::uint32_t>(random_()));
  } else {
    address.clear_address();
  }
  return address;
}

std::string RpcFuzzer::pick_bytes(std::size_t max) {
  std::string bytes(random_() % (max + 1), '\0');
  for (char& c : bytes) {
    c = static_cast<char>(random_());
  }
  return bytes;
}

std::uint64_t RpcFuzzer::pick_size() {
  static constexpr std::uint64_t kSizes[] = {0, 1, 64, 65535, 65536, 1 << 20, kMax64, kMax64 / 2};
  return random_() % 2 ? kSizes[random_() % std::size(kSizes)] : random_() % 4096;
}

void RpcFuzzer::check(const grpc::Status& status, v1::ErrorCode error, const Pick& pick,
                      const char* what) {
  ++stats_.calls;
  EXPECT_TRUE(acceptable(status)) << what << ": status " << status.error_code() << " "
                                  << status.error_message();
  if (!status.ok()) {
    return;
  }
  EXPECT_TRUE(v1::ErrorCode_IsValid(error)) << what << ": error value " << error;
  if (pick.source != Source::kOwn) {
    EXPECT_EQ(error, v1::ERROR_CODE_INVALID_ARGUMENT)
        << what << " with a foreign or made-up id " << pick.id << " did not fail as unknown";
  }
  if (error == v1::ERROR_CODE_UNSPECIFIED) {
    ++stats_.successes;
  }
}

void RpcFuzzer::step() {
  switch (random_() % 20) {
    case 0:
    case 1:
    case 2:
      return create_socket();
    case 3:
    case 4:
    case 5:
      return tcp_connect_or_bind();
    case 6:
    case 7:
    case 8:
      return tcp_call();
    case 9:
    case 10:
      return tcp_option_or_shutdown();
    case 11:
    case 12:
      return udp_call();
    case 13:
      return udp_send();
    case 14:
      return network_or_lookup();
    case 15:
    case 16:
    case 17:
      return attach_frame();
    case 18:
      return second_attach();
    default:
      if (random_() % 6 == 0) {
        return reconnect();
      }
      return create_socket();
  }
}

}  // namespace wasi_socketd::testing
