// squarebench's entry point.
#include "harness/cli.h"

int main(int argc, char** argv) { return sqb::Main(argc, argv); }
