# The layers of the core, checked three ways against each other (run by
# ctest as `layers_match_architecture`):
#
#   LAYERS  the CMake graph: each salesint_layer() of src/*/CMakeLists.txt and
#           the layers it links (written by CMakeLists.txt to layers.txt);
#   the table of ARCHITECTURE.md: the "layers it links" column of each
#           src/ row must name exactly those layers;
#   the includes: a file of src/L/ or include/salesint/L/ may include
#           "salesint/M/..." only when M is L or a layer that L links.
#
#   cmake -DLAYERS=build/layers.txt -DSOURCE_DIR=. -P tests/layers.cmake

cmake_minimum_required(VERSION 3.25)
get_filename_component(SOURCE_DIR "${SOURCE_DIR}" ABSOLUTE)

# Headers at the top of include/salesint/ belong to a layer too.
set(top_header_errors util)
set(top_header_version util)
set(top_header_model model)
set(top_header_store model)
set(top_header_output output)

set(problems "")
macro(problem text)
  string(APPEND problems "  ${text}\n")
endmacro()

# The graph, one "layer=used used ..." line per layer.
file(STRINGS ${LAYERS} graph_lines)
set(layers "")
foreach(line IN LISTS graph_lines)
  string(REGEX MATCH "^([a-z_]+)=(.*)$" _ "${line}")
  set(layer ${CMAKE_MATCH_1})
  string(REGEX MATCHALL "[a-z_]+" uses "${CMAKE_MATCH_2}")
  list(SORT uses)
  list(APPEND layers ${layer})
  set(uses_${layer} ${uses})
endforeach()

# The table: | `src/L/` | ... | `a`, `b` | ... with the layers in the column
# headed "layers it links".
file(STRINGS ${SOURCE_DIR}/ARCHITECTURE.md table_lines REGEX "^\\|")
set(links_column -1)
foreach(line IN LISTS table_lines)
  string(REPLACE ";" "," line "${line}")  # a cell's own semicolons are no list separators
  string(REGEX REPLACE "^\\| *| *\\|$" "" line "${line}")
  string(REGEX REPLACE " *\\| *" ";" cells "${line}")
  list(FIND cells "layers it links" header_index)
  if(NOT header_index EQUAL -1)
    set(links_column ${header_index})
    continue()
  endif()
  list(GET cells 0 folder)
  if(links_column EQUAL -1 OR NOT folder MATCHES "^`src/([a-z_]+)/`")
    continue()
  endif()
  set(layer ${CMAKE_MATCH_1})
  list(GET cells ${links_column} links)
  string(REGEX MATCHALL "`[a-z_]+`" named "${links}")
  string(REPLACE "`" "" named "${named}")
  list(SORT named)
  set(documented_${layer} TRUE)
  if(NOT layer IN_LIST layers)
    problem("ARCHITECTURE.md has a row for src/${layer}/, which is no layer of the build")
  elseif(NOT "${named}" STREQUAL "${uses_${layer}}")
    problem("ARCHITECTURE.md says src/${layer}/ links [${named}]; CMake links [${uses_${layer}}]")
  endif()
endforeach()
if(links_column EQUAL -1)
  problem("ARCHITECTURE.md has no table column headed \"layers it links\"")
endif()

foreach(layer IN LISTS layers)
  if(NOT documented_${layer})
    problem("src/${layer}/ is a layer of the build without a row in ARCHITECTURE.md")
  endif()
  set(allowed ${layer} ${uses_${layer}})
  file(GLOB_RECURSE files ${SOURCE_DIR}/src/${layer}/*.cpp ${SOURCE_DIR}/src/${layer}/*.hpp
       ${SOURCE_DIR}/src/${layer}/*.in ${SOURCE_DIR}/include/salesint/${layer}/*.hpp)
  foreach(name errors version model store output)
    if(top_header_${name} STREQUAL layer)
      list(APPEND files ${SOURCE_DIR}/include/salesint/${name}.hpp)
      list(APPEND files ${SOURCE_DIR}/include/salesint/${name}.hpp.in)
    endif()
  endforeach()
  foreach(file IN LISTS files)
    if(NOT EXISTS ${file})
      continue()
    endif()
    file(STRINGS ${file} includes REGEX "^#include \"salesint/")
    foreach(include IN LISTS includes)
      string(REGEX MATCH "\"salesint/([a-z_]+)(/|\\.hpp)" _ "${include}")
      set(target ${CMAKE_MATCH_1})
      if(CMAKE_MATCH_2 STREQUAL ".hpp")
        set(target ${top_header_${target}})
      endif()
      if(NOT target IN_LIST allowed)
        file(RELATIVE_PATH shown ${SOURCE_DIR} ${file})
        problem("${shown}: ${include} reaches layer '${target}', which ${layer} does not link")
      endif()
    endforeach()
  endforeach()
endforeach()

if(problems)
  message(FATAL_ERROR "the layers do not hold:\n${problems}")
endif()
list(LENGTH layers count)
message(STATUS "${count} layers: the CMake graph, ARCHITECTURE.md and the includes agree")
