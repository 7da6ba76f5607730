// esent-demo: the README's main job. Today it shows the foundation: an instance with its
// parameters, a session, the engine version, and a clean shutdown, printing each step.
// Later issues grow it into the full online-backup demonstration (data, a writer, a backup
// taken while it writes, restore, verification).
#include <esent.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

int failures = 0;

JET_ERR step(const char* what, JET_ERR err) {
  std::printf("  %-58s %s (%d)\n", what, err >= 0 ? "ok" : "FAILED", static_cast<int>(err));
  if (err < 0) ++failures;
  return err;
}

std::string error_text(JET_ERR err) {
  JET_API_PTR code = static_cast<JET_API_PTR>(static_cast<std::int64_t>(err));
  char text[256] = {};
  JetGetSystemParameter(0, 0, JET_paramErrorToString, &code, text, sizeof text);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  std::string folder = argc > 1 ? argv[1] : "esent-demo-data";
  std::printf("libesent demonstration (folder: %s)\n", folder.c_str());

  JET_INSTANCE instance = 0;
  step("JetCreateInstance(\"demo\")", JetCreateInstance(&instance, "demo"));
  step("JetSetSystemParameter(CreatePathIfNotExist, 1)",
       JetSetSystemParameter(&instance, 0, JET_paramCreatePathIfNotExist, 1, nullptr));
  std::string windows_style = folder + "\\logs\\";
  step(("JetSetSystemParameter(LogFilePath, \"" + windows_style + "\")").c_str(),
       JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, windows_style.c_str()));
  step(("JetSetSystemParameter(SystemPath, \"" + folder + "\")").c_str(),
       JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, folder.c_str()));
  step("JetSetSystemParameter(MaxSessions, 8)",
       JetSetSystemParameter(&instance, 0, JET_paramMaxSessions, 8, nullptr));
  step("JetSetSystemParameter(Recovery, \"off\")",
       JetSetSystemParameter(&instance, 0, JET_paramRecovery, 0, "off"));
  step("JetInit(&instance)", JetInit(&instance));

  char path[1024] = {};
  step("JetGetSystemParameter(LogFilePath)",
       JetGetSystemParameter(instance, 0, JET_paramLogFilePath, nullptr, path, sizeof path));
  std::printf("    log folder reported back as %s\n", path);
  JET_API_PTR sessions = 0;
  step("JetGetSystemParameter(MaxSessions)",
       JetGetSystemParameter(instance, 0, JET_paramMaxSessions, &sessions, nullptr, 0));
  std::printf("    max sessions = %llu\n", static_cast<unsigned long long>(sessions));

  JET_ERR late = JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, "/elsewhere/");
  std::printf("  changing LogFilePath after JetInit is refused: %s\n", error_text(late).c_str());

  JET_SESID session = 0;
  step("JetBeginSession", JetBeginSession(instance, &session, "", ""));
  JET_UINT32 version = 0;
  step("JetGetVersion", JetGetVersion(session, &version));
  std::printf("    engine version 0x%08x (build %u)\n", static_cast<unsigned>(version),
              static_cast<unsigned>((version & 0xFFFFFFU) >> 8));

  JET_UINT32 count = 0;
  JET_INSTANCE_INFO* infos = nullptr;
  step("JetGetInstanceInfo", JetGetInstanceInfo(&count, &infos));
  for (JET_UINT32 i = 0; i < count; ++i) {
    std::printf("    running instance: %s\n", infos[i].szInstanceName ? infos[i].szInstanceName : "(unnamed)");
  }
  step("JetFreeBuffer", JetFreeBuffer(reinterpret_cast<char*>(infos)));

  step("JetEndSession", JetEndSession(session, 0));
  step("JetTerm2(JET_bitTermComplete)", JetTerm2(instance, JET_bitTermComplete));
  JET_ERR stale = JetBeginSession(instance, &session, "", "");
  std::printf("  the terminated instance's handle is now stale: %s\n", error_text(stale).c_str());

  std::printf("%s\n", failures == 0 ? "demonstration complete" : "demonstration FAILED");
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
