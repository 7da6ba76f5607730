// Checks ESE io.cxx ErrIsamGetInstanceInfo, jetapi.cxx JetGetInstanceInfoExA/CAutoINSTANCE_INFOW/JetFreeBufferEx/JetGetInstanceMiscInfoEx, and the JetGetInstanceInfo/JetGetInstanceMiscInfo/JetFreeBuffer docs.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "test_dirs.h"

namespace esent_test {
namespace {

class InstanceInfoTest : public ApiTest {};

// Finds the entry for `instance`, or nullptr.
template <typename Info>
const Info* Find(const Info* infos, std::uint32_t count, JET_INSTANCE instance) {
  for (std::uint32_t i = 0; i < count; ++i) {
    if (infos[i].hInstanceId == instance) {
      return &infos[i];
    }
  }
  return nullptr;
}

TEST_F(InstanceInfoTest, ListsCreatedAndInitializedInstancesByNameA) {
  JET_INSTANCE created = CreateInstance("created");
  JET_INSTANCE running = InitInstance("running");

  std::uint32_t count = 0;
  JET_INSTANCE_INFO_A* infos = nullptr;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoA(&count, &infos));
  ASSERT_NE(nullptr, infos);
  EXPECT_EQ(2u, count);

  const JET_INSTANCE_INFO_A* created_info = Find(infos, count, created);
  ASSERT_NE(nullptr, created_info);
  ASSERT_NE(nullptr, created_info->szInstanceName);
  EXPECT_EQ(UniqueName("created"), std::string(created_info->szInstanceName));
  EXPECT_EQ(JET_API_PTR{0}, created_info->cDatabases);

  const JET_INSTANCE_INFO_A* running_info = Find(infos, count, running);
  ASSERT_NE(nullptr, running_info);
  ASSERT_NE(nullptr, running_info->szInstanceName);
  EXPECT_EQ(UniqueName("running"), std::string(running_info->szInstanceName));
  EXPECT_EQ(JET_API_PTR{0}, running_info->cDatabases);

  EXPECT_EQ(JET_errSuccess, JetFreeBuffer(reinterpret_cast<char*>(infos)));
}

TEST_F(InstanceInfoTest, ListsNamesInUtf16ForW) {
  JET_INSTANCE ascii = CreateInstance("ascii");
  // UTF-8 through the A entry point, UTF-16 through the W entry point: one name either way.
  JET_INSTANCE accented = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateInstanceA(&accented, "libesent.caf\xC3\xA9"));
  Track(accented);
  JET_INSTANCE wide = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateInstance2W(&wide, u"libesent.\u00FCber", u"Display", 0));
  Track(wide);

  std::uint32_t count = 0;
  JET_INSTANCE_INFO_W* infos = nullptr;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoW(&count, &infos));
  ASSERT_NE(nullptr, infos);
  EXPECT_EQ(3u, count);

  const JET_INSTANCE_INFO_W* ascii_info = Find(infos, count, ascii);
  ASSERT_NE(nullptr, ascii_info);
  ASSERT_NE(nullptr, ascii_info->szInstanceName);
  EXPECT_EQ(Widen(UniqueName("ascii")), std::u16string(ascii_info->szInstanceName));

  const JET_INSTANCE_INFO_W* accented_info = Find(infos, count, accented);
  ASSERT_NE(nullptr, accented_info);
  ASSERT_NE(nullptr, accented_info->szInstanceName);
  EXPECT_EQ(std::u16string(u"libesent.caf\u00E9"), std::u16string(accented_info->szInstanceName));

  // The list carries the instance name, not the display name.
  const JET_INSTANCE_INFO_W* wide_info = Find(infos, count, wide);
  ASSERT_NE(nullptr, wide_info);
  ASSERT_NE(nullptr, wide_info->szInstanceName);
  EXPECT_EQ(std::u16string(u"libesent.\u00FCber"), std::u16string(wide_info->szInstanceName));
  EXPECT_EQ(JET_errSuccess, JetFreeBuffer(reinterpret_cast<char*>(infos)));

  JET_INSTANCE_INFO_A* narrow_infos = nullptr;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoA(&count, &narrow_infos));
  const JET_INSTANCE_INFO_A* wide_as_narrow = Find(narrow_infos, count, wide);
  ASSERT_NE(nullptr, wide_as_narrow);
  ASSERT_NE(nullptr, wide_as_narrow->szInstanceName);
  EXPECT_EQ(std::string("libesent.\xC3\xBC" "ber"), std::string(wide_as_narrow->szInstanceName));
  EXPECT_EQ(JET_errSuccess, JetFreeBuffer(reinterpret_cast<char*>(narrow_infos)));
}

TEST_F(InstanceInfoTest, UnnamedInstanceHasNullName) {
  JET_INSTANCE unnamed = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateInstanceA(&unnamed, nullptr));
  Track(unnamed);

  std::uint32_t count = 0;
  JET_INSTANCE_INFO_A* infos = nullptr;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoA(&count, &infos));
  const JET_INSTANCE_INFO_A* info = Find(infos, count, unnamed);
  ASSERT_NE(nullptr, info);
  EXPECT_EQ(nullptr, info->szInstanceName);
  EXPECT_EQ(JET_errSuccess, JetFreeBuffer(reinterpret_cast<char*>(infos)));
}

TEST_F(InstanceInfoTest, TerminatedInstanceIsNoLongerListed) {
  JET_INSTANCE kept = InitInstance("kept");
  JET_INSTANCE gone = InitInstance("gone");
  ASSERT_EQ(JET_errSuccess, JetTerm(gone));

  std::uint32_t count = 0;
  JET_INSTANCE_INFO_W* infos = nullptr;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoW(&count, &infos));
  EXPECT_EQ(1u, count);
  EXPECT_NE(nullptr, Find(infos, count, kept));
  EXPECT_EQ(nullptr, Find(infos, count, gone));
  EXPECT_EQ(JET_errSuccess, JetFreeBuffer(reinterpret_cast<char*>(infos)));
}

TEST_F(InstanceInfoTest, NullArgumentsAreInvalidParameter) {
  CreateInstance("listed");
  std::uint32_t count = 0;
  JET_INSTANCE_INFO_A* narrow = nullptr;
  JET_INSTANCE_INFO_W* wide = nullptr;
  EXPECT_EQ(JET_errInvalidParameter, JetGetInstanceInfoA(nullptr, &narrow));
  EXPECT_EQ(JET_errInvalidParameter, JetGetInstanceInfoA(&count, nullptr));
  EXPECT_EQ(JET_errInvalidParameter, JetGetInstanceInfoW(nullptr, &wide));
  EXPECT_EQ(JET_errInvalidParameter, JetGetInstanceInfoW(&count, nullptr));
}

TEST_F(InstanceInfoTest, FreeBufferOfNullSucceeds) {
  EXPECT_EQ(JET_errSuccess, JetFreeBuffer(nullptr));
}

TEST_F(InstanceInfoTest, MiscInfoLogSignatureIsStable) {
  JET_INSTANCE instance = InitInstance("signature");
  JET_SIGNATURE first{};
  JET_SIGNATURE second{};
  ASSERT_EQ(JET_errSuccess,
            JetGetInstanceMiscInfo(instance, &first, static_cast<std::uint32_t>(sizeof(first)),
                                   JET_InstanceMiscInfoLogSignature));
  ASSERT_EQ(JET_errSuccess,
            JetGetInstanceMiscInfo(instance, &second, static_cast<std::uint32_t>(sizeof(second)),
                                   JET_InstanceMiscInfoLogSignature));
  EXPECT_EQ(0, std::memcmp(&first, &second, sizeof(first)));

  // A larger buffer is fine too.
  unsigned char larger[sizeof(JET_SIGNATURE) + 16] = {};
  EXPECT_EQ(JET_errSuccess,
            JetGetInstanceMiscInfo(instance, larger, static_cast<std::uint32_t>(sizeof(larger)),
                                   JET_InstanceMiscInfoLogSignature));
  EXPECT_EQ(0, std::memcmp(larger, &first, sizeof(first)));
}

TEST_F(InstanceInfoTest, MiscInfoSmallBufferIsBufferTooSmall) {
  JET_INSTANCE instance = InitInstance("small");
  unsigned char buffer[sizeof(JET_SIGNATURE)] = {};
  EXPECT_EQ(JET_errBufferTooSmall,
            JetGetInstanceMiscInfo(instance, buffer,
                                   static_cast<std::uint32_t>(sizeof(JET_SIGNATURE) - 1),
                                   JET_InstanceMiscInfoLogSignature));
  EXPECT_EQ(JET_errBufferTooSmall,
            JetGetInstanceMiscInfo(instance, buffer, 0, JET_InstanceMiscInfoLogSignature));
}

TEST_F(InstanceInfoTest, MiscInfoUnknownLevelIsInvalidParameter) {
  JET_INSTANCE instance = InitInstance("level");
  unsigned char buffer[256] = {};
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetInstanceMiscInfo(instance, buffer, static_cast<std::uint32_t>(sizeof(buffer)),
                                   0x7FFF));
}

TEST_F(InstanceInfoTest, MiscInfoOfUninitializedInstanceIsNotInitialized) {
  JET_INSTANCE instance = CreateInstance("created.only");
  JET_SIGNATURE signature{};
  EXPECT_EQ(JET_errNotInitialized,
            JetGetInstanceMiscInfo(instance, &signature,
                                   static_cast<std::uint32_t>(sizeof(signature)),
                                   JET_InstanceMiscInfoLogSignature));
}

TEST_F(InstanceInfoTest, MiscInfoOfBadHandles) {
  CreateInstance("keeper");
  JET_INSTANCE stale = InitInstance("stale");
  ASSERT_EQ(JET_errSuccess, JetTerm(stale));
  JET_SIGNATURE signature{};
  const auto size = static_cast<std::uint32_t>(sizeof(signature));
  EXPECT_EQ(JET_errInvalidInstance,
            JetGetInstanceMiscInfo(stale, &signature, size, JET_InstanceMiscInfoLogSignature));
  EXPECT_EQ(JET_errInvalidInstance, JetGetInstanceMiscInfo(kGarbageInstance, &signature, size,
                                                           JET_InstanceMiscInfoLogSignature));
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetInstanceMiscInfo(0, &signature, size, JET_InstanceMiscInfoLogSignature));
}

}  // namespace
}  // namespace esent_test
