#include "tools/devbroker/tcp_forwarder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cs::devbroker {
namespace {

int ConnectTo(const std::string& host, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Copies what is readable on `from` to `to`; false when the connection ends.
bool CopyOnce(int from, int to) {
  char buf[64 * 1024];
  ssize_t n = read(from, buf, sizeof(buf));
  if (n <= 0) return false;
  ssize_t off = 0;
  while (off < n) {
    ssize_t w = write(to, buf + off, static_cast<size_t>(n - off));
    if (w <= 0) return false;
    off += w;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TcpForwarder>> TcpForwarder::Start(const std::string& host, int port,
                                                                  const std::string& target_host,
                                                                  int target_port) {
  std::unique_ptr<TcpForwarder> f(new TcpForwarder());
  f->target_host_ = target_host;
  f->target_port_ = target_port;
  f->listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(f->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError("--listen: \"" + host + "\" is not an IPv4 address");
  }
  if (bind(f->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(f->listen_fd_, 64) != 0) {
    return absl::UnavailableError("--listen: cannot listen on " + host + ":" + std::to_string(port) +
                                  ": " + std::strerror(errno));
  }
  socklen_t len = sizeof(addr);
  getsockname(f->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  f->port_ = ntohs(addr.sin_port);
  f->acceptor_ = std::thread([p = f.get()] { p->AcceptLoop(); });
  return f;
}

TcpForwarder::~TcpForwarder() { Stop(); }

void TcpForwarder::Stop() {
  if (stopping_.exchange(true)) return;
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  if (acceptor_.joinable()) acceptor_.join();
  // Pumps notice stopping_ within one poll interval.
  for (int i = 0; i < 50 && active_.load() > 0; ++i) usleep(20000);
}

void TcpForwarder::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    int client = accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    active_.fetch_add(1);
    std::thread([this, client] {
      Pump(client);
      active_.fetch_sub(1);
    }).detach();
  }
}

void TcpForwarder::Pump(int client) {
  int upstream = ConnectTo(target_host_, target_port_);
  if (upstream < 0) {
    close(client);
    return;
  }
  pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
  while (!stopping_) {
    int n = poll(fds, 2, 200);
    if (n < 0) break;
    if (n == 0) continue;
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !CopyOnce(client, upstream)) break;
    if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && !CopyOnce(upstream, client)) break;
  }
  close(client);
  close(upstream);
}

}  // namespace cs::devbroker
