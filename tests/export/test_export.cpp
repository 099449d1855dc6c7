// SPDX-License-Identifier: Apache-2.0
// `kerbside export` end to end (being written).
#include "exportfixture.h"
