#include "libs/kafka/cloudevents.h"

namespace cs::kafka {

std::vector<Header> BinaryModeHeaders(const CloudEventAttributes& a) {
  std::vector<Header> h = {
      {"ce_specversion", "1.0"}, {"ce_id", a.id}, {"ce_source", a.source}, {"ce_type", a.type}};
  if (!a.time.empty()) h.push_back({"ce_time", a.time});
  if (!a.subject.empty()) h.push_back({"ce_subject", a.subject});
  if (!a.tenant_id.empty()) h.push_back({"ce_tenantid", a.tenant_id});
  if (!a.content_type.empty()) h.push_back({"content-type", a.content_type});
  return h;
}

}  // namespace cs::kafka
