// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

TextField {
    Layout.fillWidth: true
    implicitHeight: Math.max(KbTheme.touchMin, contentHeight + topPadding + bottomPadding)
    font.pixelSize: KbTheme.fontBody
    color: KbTheme.text
    placeholderTextColor: KbTheme.textMuted
    selectByMouse: true
    background: Rectangle {
        radius: 6
        color: KbTheme.surface
        border.width: parent.activeFocus ? 3 : Math.max(2, KbTheme.borderWidth)
        border.color: parent.activeFocus ? KbTheme.accent : KbTheme.border
    }
    leftPadding: 14
    rightPadding: 14
}
