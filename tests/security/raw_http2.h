// A hand-written HTTP/2 client over a Unix socket, for attacks the gRPC library would never send:
// SETTINGS chosen by the test (an initial window of 0), SETTINGS never acknowledged, thousands of
// HEADERS frames that open calls and never send their message.
//
// Frames only, no stream state: the test decides what to send and reads what comes back. HPACK is
// written as literals without indexing (no Huffman), which every decoder must accept. One thread;
// not copyable.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace wasi_socketd::testing {

class RawHttp2Connection {
 public:
  // HTTP/2 SETTINGS identifiers (RFC 9113 section 6.5.2).
  static constexpr std::uint16_t kMaxConcurrentStreams = 0x3;
  static constexpr std::uint16_t kInitialWindowSize = 0x4;
  // RST_STREAM / GOAWAY error codes seen in tests.
  static constexpr std::uint32_t kRefusedStream = 0x7;

  // Connects to the Unix socket `path`; connected() tells whether it worked.
  explicit RawHttp2Connection(const std::string& path);
  ~RawHttp2Connection();
  RawHttp2Connection(const RawHttp2Connection&) = delete;
  RawHttp2Connection& operator=(const RawHttp2Connection&) = delete;

  bool connected() const { return fd_ >= 0; }

  // The client preface and one SETTINGS frame with `settings` (id, value).
  bool send_preface(const std::vector<std::pair<std::uint16_t, std::uint32_t>>& settings);
  bool send_settings_ack();
  // HEADERS (END_HEADERS, not END_STREAM) opening a gRPC call of `path` ("/pkg.Service/Method")
  // on the next odd stream id; the call's message is never sent. Returns the stream id, 0 when the
  // connection failed.
  std::uint32_t open_call(const std::string& path);
  // As open_call, then the call's request: one DATA frame (END_STREAM) holding an empty gRPC
  // message, so the daemon's handler runs and answers.
  std::uint32_t open_call_with_request(const std::string& path);

  // As open_call_with_request, with `message` as the call's request, sent compressed with gRPC's
  // flag set and `grpc-encoding: ENCODING` in the headers; DATA frames of 16 KiB.
  std::uint32_t open_call_with_compressed_request(const std::string& path,
                                                  const std::string& encoding,
                                                  const std::string& message);
  // RST_STREAM(CANCEL) of `stream`: the client gives up on a call it opened.
  bool reset_stream(std::uint32_t stream);
  // HEADERS opening a call of `path` on the next odd stream id without END_HEADERS: the header
  // block goes on in CONTINUATION frames (send_continuation). Returns the stream id, 0 on failure.
  std::uint32_t open_call_without_end_headers(const std::string& path);
  // A CONTINUATION frame on `stream` carrying `fragment`, END_HEADERS set when `last`.
  bool send_continuation(std::uint32_t stream, const std::string& fragment, bool last);
  // One HPACK "literal header field without indexing, new name" of any length (RFC 7541 6.2.2).
  static std::string literal_header(const std::string& name, const std::string& value);

  // Reads frames for up to `timeout`, or until the connection ends; what arrived is counted below.
  // Returns false once the daemon closed the connection.
  bool read_for(std::chrono::milliseconds timeout);

  bool closed() const { return closed_; }
  // The daemon's SETTINGS (the last frame wins per id).
  const std::map<std::uint16_t, std::uint32_t>& server_settings() const { return settings_; }
  bool server_settings_received() const { return settings_received_; }
  // RST_STREAM frames received, by error code.
  const std::map<std::uint32_t, int>& resets() const { return resets_; }
  int goaways() const { return goaways_; }
  // HEADERS frames with END_STREAM received: calls the daemon has finished (trailers, or a
  // trailers-only answer such as a refusal).
  int finished_streams() const { return finished_streams_; }

 private:
  bool send_frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                  const std::string& payload);
  std::string call_header_block(const std::string& path, const std::string& encoding = "") const;
  void parse_frames();

  int fd_ = -1;
  std::uint32_t next_stream_ = 1;
  std::string incoming_;
  bool closed_ = false;
  bool settings_received_ = false;
  std::map<std::uint16_t, std::uint32_t> settings_;
  std::map<std::uint32_t, int> resets_;
  int goaways_ = 0;
  int finished_streams_ = 0;
};

}  // namespace wasi_socketd::testing
