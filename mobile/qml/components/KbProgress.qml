// SPDX-License-Identifier: Apache-2.0
// How far the interview is: an outlined track and a solid fill, visible in every theme.
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

ProgressBar {
    id: bar
    from: 0
    to: 1
    implicitHeight: 18
    background: Rectangle {
        implicitWidth: 200
        implicitHeight: 18
        radius: 9
        color: KbTheme.surface
        border.width: KbTheme.borderWidth
        border.color: KbTheme.border
    }
    contentItem: Item {
        implicitHeight: 18
        Rectangle {
            objectName: "progressFill"
            x: 3
            y: 3
            height: parent.height - 6
            width: Math.max(0, (parent.width - 6) * bar.visualPosition)
            radius: height / 2
            color: KbTheme.accent
        }
    }
}
