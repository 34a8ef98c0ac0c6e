// Errors as values for the contracts library: the decomposer's Error and
// Expected (leveldb's Status, abseil's StatusOr), one definition for every
// library that reads fact stores and plans. Library code never throws on bad
// input and never exits; the CLI turns an Error into
// `seam contracts: <message>` and an exit code.
#pragma once

#include "seam/decomposer/status.h"

namespace seam::contracts {

using decomposer::badInput;
using decomposer::Error;
using decomposer::ErrorCode;
using decomposer::Expected;
using decomposer::ioError;

}  // namespace seam::contracts
