// libesent.so is the api layer linked whole (--whole-archive, see src/CMakeLists.txt) with the
// layers below it. The shared-library target needs one translation unit of its own; this is it.
// It defines nothing: every exported symbol lives in src/api/.
