// The original article's sequence diagrams (article.hpp).
#include "export/article.hpp"

namespace pollscope::exporting {
using trace::UserOp;

const std::vector<ArticleDiagram>& articleDiagrams() {
  static const std::vector<ArticleDiagram> all = {
      // The client's write and the concurrent reader; the server's draining is background.
      {"1.3", "full network I/O", "完整的网络 I/O 时序", {UserOp::write, UserOp::read}, {"client", "reader"}, false},
      {"1.4", "TCP connection set-up", "TCP 连接建立", {UserOp::listen, UserOp::accept}, {"server"}, false},
      {"1.5", "netpoll event handling (sysmon)", "netpoll 事件处理（sysmon）", {UserOp::read}, {}, false},
      {"1.6", "asynchronous I/O", "异步 I/O", {UserOp::read}, {}, false},
      {"5.1", "TCP accept", "TCP 连接接受", {UserOp::listen, UserOp::accept}, {}, false},
      {"5.2", "network read", "网络读取", {UserOp::read}, {}, true},
      {"5.3", "network write", "网络写入", {UserOp::write}, {}, true},
  };
  return all;
}

const ArticleDiagram* findArticleDiagram(const std::string& section) {
  for (const auto& d : articleDiagrams())
    if (d.section == section) return &d;
  return nullptr;
}

}  // namespace pollscope::exporting
