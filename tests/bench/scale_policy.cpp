#include "scale_policy.h"

#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace wasi_socketd::bench {

void write_scale_policy(const std::filesystem::path& path, int sockets) {
  std::ofstream out(path);
  out << "[[tenant]]\nname = \"scale\"\nuids = [" << ::getuid() << "]\n"
      << "[tenant.quotas]\nsockets_per_session = " << sockets << "\nsockets = " << sockets << "\n"
      << "[tenant.tcp]\n"
         "[[tenant.tcp.bind]]\naddresses = [\"loopback\", \"unspecified\"]\n"
         "[[tenant.tcp.listen]]\naddresses = [\"loopback\", \"unspecified\"]\n"
         "[[tenant.tcp.accept]]\naddresses = [\"loopback\"]\n"
         "[[tenant.tcp.connect]]\naddresses = [\"loopback\"]\n";
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace wasi_socketd::bench
