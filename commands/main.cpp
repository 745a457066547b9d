#include "cli.hpp"

int main(int argc, char** argv) {
    return salesint::cli::run(argc, argv);
}
