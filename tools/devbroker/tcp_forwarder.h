#pragma once

// Forwards TCP connections from a fixed loopback port to the mock broker's
// own (ephemeral) port, so clients can bootstrap from a well-known address
// such as 127.0.0.1:9092. After bootstrap, Kafka clients talk to the broker
// address the metadata advertises, so only the first connection is proxied.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace cs::devbroker {

class TcpForwarder {
 public:
  // Listens on host:port (port 0 = ephemeral) and forwards to target_host:target_port.
  static absl::StatusOr<std::unique_ptr<TcpForwarder>> Start(const std::string& host, int port,
                                                             const std::string& target_host,
                                                             int target_port);
  ~TcpForwarder();
  int port() const { return port_; }
  void Stop();

 private:
  TcpForwarder() = default;
  void AcceptLoop();
  void Pump(int client_fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::string target_host_;
  int target_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::atomic<int> active_{0};
};

}  // namespace cs::devbroker
