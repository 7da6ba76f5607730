/* A C11 client: includes <esent.h>, links with -lesent, and runs the instance and session
 * lifecycle through the plain (ANSI) names, as a C program written for esent.dll would. */
#include <esent.h>
#include <stdio.h>
#include <string.h>

#define CHECK(call, expected)                                                           \
  do {                                                                                  \
    JET_ERR err_ = (call);                                                              \
    if (err_ != (expected)) {                                                           \
      fprintf(stderr, "%s:%d: %s returned %d, expected %d\n", __FILE__, __LINE__, #call, \
              (int)err_, (int)(expected));                                              \
      return 1;                                                                         \
    }                                                                                   \
  } while (0)

int main(void) {
  JET_INSTANCE instance = 0;
  JET_SESID session = 0;
  JET_API_PTR value = 0;
  char path[512];
  JET_UINT32 version = 0;

  CHECK(JetCreateInstance(&instance, "c-client"), JET_errSuccess);
  CHECK(JetSetSystemParameter(&instance, 0, JET_paramMaxSessions, 4, NULL), JET_errSuccess);
  CHECK(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, "/tmp\\"), JET_errSuccess);
  /* Recovery "on" needs the write-ahead log, which is not built yet. */
  CHECK(JetSetSystemParameter(&instance, 0, JET_paramRecovery, 0, "off"), JET_errSuccess);
  CHECK(JetInit(&instance), JET_errSuccess);
  CHECK(JetGetSystemParameter(instance, 0, JET_paramMaxSessions, &value, NULL, 0), JET_errSuccess);
  if (value != 4) return 1;
  CHECK(JetGetSystemParameter(instance, 0, JET_paramLogFilePath, NULL, path, sizeof path),
        JET_errSuccess);
  if (strcmp(path, "/tmp/") != 0) return 1;
  CHECK(JetBeginSession(instance, &session, "", ""), JET_errSuccess);
  CHECK(JetGetVersion(session, &version), JET_errSuccess);
  if (((version & 0xFFFFFFu) >> 8) < 6000) return 1;
  CHECK(JetEndSession(session, 0), JET_errSuccess);
  CHECK(JetEndSession(session, 0), JET_errInvalidSesid);
  CHECK(JetTerm(instance), JET_errSuccess);
  CHECK(JetTerm(instance), JET_errInvalidInstance);
  puts("c client: ok");
  return 0;
}
