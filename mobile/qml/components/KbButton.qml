// SPDX-License-Identifier: Apache-2.0
// A big button: 64 px high or more, body text, full contrast. `primary` fills it with the accent.
// Disabled looks disabled in every theme: its own background, grey text and outline.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Kerbside.Ui

Button {
    id: control
    property bool primary: false
    property bool danger: false

    implicitHeight: KbTheme.buttonHeight
    implicitWidth: Math.max(KbTheme.buttonHeight * 2, implicitContentWidth + leftPadding + rightPadding)
    font.pixelSize: KbTheme.fontBody
    font.bold: primary
    leftPadding: 20
    rightPadding: 20
    topInset: 0
    bottomInset: 0
    focusPolicy: Qt.StrongFocus

    contentItem: Label {
        text: control.text
        font: control.font
        color: !control.enabled ? KbTheme.disabledText
             : control.primary ? KbTheme.accentText
             : control.danger ? KbTheme.error : KbTheme.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.WordWrap
        maximumLineCount: 3
    }
    background: Rectangle {
        radius: 8
        color: !control.enabled ? KbTheme.disabledBackground
             : control.primary ? KbTheme.accent : KbTheme.surface
        opacity: control.down ? 0.75 : 1.0
        border.width: control.primary && !KbTheme.highContrast && control.enabled ? 0 : KbTheme.borderWidth
        border.color: !control.enabled ? KbTheme.disabledText
                    : control.danger ? KbTheme.error
                    : control.visualFocus ? KbTheme.accent
                    : control.primary ? KbTheme.text : KbTheme.border
    }
}
