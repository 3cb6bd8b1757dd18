// The admin interface's picture of the sessions (issue 10 item 2): answered from what each session
// published on its sequence, never by waiting for it. Main posted a snapshot to every sequence and
// waited up to 500 ms for each; a busy session was then listed without its sockets.
#include "session_snapshot.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "sockets/socket_policy.h"

namespace wasi_socketd::daemon {
namespace {

using namespace std::chrono_literals;

struct ListeningSocket : SessionResource {
  void close() override {}
  ResourceSummary summary() const override {
    ResourceSummary summary;
    summary.protocol = "tcp";
    summary.state = "listening";
    summary.local_address = "127.0.0.1:7000";
    return summary;
  }
};

class SessionSnapshotTest : public ::testing::Test {
 protected:
  SessionSnapshotTest() {
    TenantAccess tenant;
    tenant.name = "t";
    tenant.policy = std::make_shared<sockets::AllowAllPolicy>();
    session_ =
        std::make_shared<Session>(sockets::make_strand(io_), std::move(tenant), PeerCredentials{});
    registry_.bind(7, session_);
  }
  ~SessionSnapshotTest() override {
    registry_.unbind_all();
    work_.reset();
    io_thread_.join();
  }

  // Runs `work` on the session's sequence and waits for it.
  template <class Work>
  void on_sequence(Work work) {
    std::promise<void> done;
    session_->strand().post([&] {
      work();
      done.set_value();
    });
    done.get_future().wait();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::thread io_thread_{[this] { io_.run(); }};
  SessionRegistry registry_;
  std::shared_ptr<Session> session_;
};

TEST_F(SessionSnapshotTest, AnswersAtOnceWhileASessionsSequenceIsBusy) {
  on_sequence([&] {
    const auto id = session_->resources().new_socket_id();
    ASSERT_TRUE(id);
    session_->resources().insert(*id, std::make_unique<ListeningSocket>());
  });
  on_sequence([] {});  // the publish posted behind the insert has run

  std::promise<void> release;
  std::promise<void> busy;
  session_->strand().post([&busy, released = release.get_future().share()] {
    busy.set_value();
    released.wait();  // a long batch: the sequence answers nothing meanwhile
  });
  busy.get_future().wait();
  const auto start = std::chrono::steady_clock::now();
  const std::vector<SessionSnapshot> snapshots = snapshot_sessions(registry_);
  const auto took = std::chrono::steady_clock::now() - start;
  release.set_value();

  EXPECT_LT(took, 100ms) << "the admin picture waited for a busy session";
  ASSERT_EQ(snapshots.size(), 1u);
  EXPECT_EQ(snapshots[0].number, 7u);
  EXPECT_EQ(snapshots[0].tenant, "t");
  ASSERT_EQ(snapshots[0].summary.sockets.size(), 1u) << "the busy session lost its sockets";
  EXPECT_EQ(snapshots[0].summary.sockets[0].second.state, "listening");
}

TEST_F(SessionSnapshotTest, ARemovedSocketLeavesThePicture) {
  std::uint64_t id = 0;
  on_sequence([&] {
    id = *session_->resources().new_socket_id();
    session_->resources().insert(id, std::make_unique<ListeningSocket>());
  });
  on_sequence([] {});
  ASSERT_EQ(session_->summary().sockets.size(), 1u);
  on_sequence([&] { session_->remove(id); });
  on_sequence([] {});
  EXPECT_TRUE(session_->summary().sockets.empty());
}

}  // namespace
}  // namespace wasi_socketd::daemon
