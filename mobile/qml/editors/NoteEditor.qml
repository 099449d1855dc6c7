// SPDX-License-Identifier: Apache-2.0
// A note has no answer: its label (above) is all there is.
import QtQuick

Item {
    implicitHeight: 0
}
