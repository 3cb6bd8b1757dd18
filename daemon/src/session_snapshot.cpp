#include "session_snapshot.h"

#include <boost/asio/post.hpp>
#include <future>

namespace wasi_socketd::daemon {
std::vector<SessionSnapshot> snapshot_sessions(const SessionRegistry& registry,
                                               std::chrono::milliseconds timeout) {
  std::vector<SessionSnapshot> snapshots;
  std::vector<std::shared_future<SessionSnapshot>> answers;
  for (const auto& binding : registry.all()) {
    const std::shared_ptr<Session>& session = binding.second;
    SessionSnapshot known;
    known.number = static_cast<std::uint64_t>(binding.first);
    known.tenant = session->tenant().name;
    known.peer = session->peer();
    // The strand fills its own copy: an answer arriving after the timeout touches nothing shared.
    auto answer = std::make_shared<std::promise<SessionSnapshot>>();
    answers.push_back(answer->get_future().share());
    boost::asio::post(session->strand(), [session, answer, known] {
      SessionSnapshot snapshot = known;
      if (!session->ended()) {
        session->resources().for_each([&](std::uint64_t id, const SessionResource& resource) {
          snapshot.sockets.emplace_back(id, resource.summary());
        });
        snapshot.queued_bytes = session->queued_bytes();
        snapshot.lag = session->queue_lag();
      }
      answer->set_value(std::move(snapshot));
    });
    snapshots.push_back(std::move(known));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i].wait_until(deadline) != std::future_status::ready) continue;
    try {
      snapshots[i] = answers[i].get();
    } catch (const std::future_error&) {
      // The io_context dropped the handler (shutdown): keep what we knew without the strand.
    }
  }
  return snapshots;
}

}  // namespace wasi_socketd::daemon
