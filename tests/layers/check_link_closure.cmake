cmake_policy(SET CMP0057 NEW)  # IN_LIST
# Fails when TARGET's link closure (computed at configure time by
# tests/layers/CMakeLists.txt, comma-separated) holds a FORBIDDEN target.
string(REPLACE "," ";" closure "${CLOSURE}")
string(REPLACE "," ";" forbidden "${FORBIDDEN}")
message(STATUS "${TARGET} links: ${CLOSURE}")
set(bad "")
foreach(t ${forbidden})
  if(t IN_LIST closure)
    list(APPEND bad ${t})
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "${TARGET} links ${bad}: against the layers (docs/architecture.md)")
endif()
message(STATUS "${TARGET} links none of: ${FORBIDDEN}")
