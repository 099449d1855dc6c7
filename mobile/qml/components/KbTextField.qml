// SPDX-License-Identifier: Apache-2.0
// A text box. Read-only (a calculated answer) it looks it: no box, a muted fill, no cursor.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

TextField {
    id: field
    Layout.fillWidth: true
    implicitHeight: Math.max(KbTheme.touchMin, contentHeight + topPadding + bottomPadding)
    font.pixelSize: KbTheme.fontBody
    color: KbTheme.text
    placeholderTextColor: KbTheme.textMuted
    selectByMouse: !readOnly
    cursorVisible: !readOnly && activeFocus
    activeFocusOnPress: !readOnly
    background: Rectangle {
        radius: 6
        color: field.readOnly ? KbTheme.disabledBackground : KbTheme.surface
        border.width: field.readOnly ? 0 : field.activeFocus ? KbTheme.borderWidth + 1 : KbTheme.borderWidth
        border.color: field.activeFocus ? KbTheme.accent : KbTheme.border
    }
    leftPadding: 14
    rightPadding: 14
}
