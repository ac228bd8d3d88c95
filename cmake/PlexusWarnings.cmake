# plexus_set_warnings(target): the project's warning level, target-scoped.
function(plexus_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
endfunction()
