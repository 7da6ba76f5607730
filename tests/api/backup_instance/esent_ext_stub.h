// TEMPORARY: stands in for include/esent_ext.h until the lead's issue-8 commit lands (then the
// real header is used and this file is deleted). The declarations follow
// /tmp/backup_instance_contract.md §2; the functions are weak so that the suites link against a
// library that does not define them yet (a call then fails the test instead of linking).
#pragma once

#if __has_include(<esent_ext.h>)
#include <esent_ext.h>
#define ESENT_TEST_HAVE_EXT 1
#else
#include <esent.h>
#define ESENT_TEST_HAVE_EXT 0
#define ESENT_paramBackupReadBytesPerSecond 65536
extern "C" {
JET_ERR JET_API EsentVerifyBackupA(const char* szBackupPath, JET_PFNSTATUS pfnStatus) __attribute__((weak));
JET_ERR JET_API EsentVerifyBackupW(const JET_WCHAR* szBackupPath, JET_PFNSTATUS pfnStatus) __attribute__((weak));
}
#endif
