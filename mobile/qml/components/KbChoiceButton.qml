// SPDX-License-Identifier: Apache-2.0
// One choice of a select/consent/likert question: a big target that shows clearly when chosen.
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

AbstractButton {
    id: control
    property bool multiple: false // a tick box (select_multiple) instead of a round mark
    property bool compact: false  // likert: text centred, no mark
    checkable: false              // the model's value decides, so a tap never desynchronises

    implicitHeight: Math.max(KbTheme.touchMin, label.implicitHeight + 24)
    implicitWidth: compact ? KbTheme.touchMin * 2 : 320
    font.pixelSize: KbTheme.fontBody
    focusPolicy: Qt.StrongFocus

    background: Rectangle {
        radius: 8
        color: control.checked ? KbTheme.selected : KbTheme.surface
        border.width: control.checked ? 3 : Math.max(1, KbTheme.borderWidth)
        border.color: control.checked ? KbTheme.accent : KbTheme.border
        opacity: control.down ? 0.8 : 1.0
    }
    contentItem: Item {
        implicitHeight: label.implicitHeight
        Rectangle {
            id: mark
            visible: !control.compact
            width: 28
            height: 28
            radius: control.multiple ? 4 : 14
            anchors.left: parent.left
            anchors.leftMargin: 8
            anchors.verticalCenter: parent.verticalCenter
            color: control.checked ? KbTheme.accent : "transparent"
            border.width: 3
            border.color: control.checked ? KbTheme.accent : KbTheme.textMuted
            Label {
                anchors.centerIn: parent
                visible: control.checked
                text: control.multiple ? "✓" : "●"
                color: KbTheme.accentText
                font.pixelSize: 16
                font.bold: true
            }
        }
        Label {
            id: label
            text: control.text
            font: control.font
            color: control.checked ? KbTheme.selectedText : KbTheme.text
            wrapMode: Text.Wrap
            horizontalAlignment: control.compact ? Text.AlignHCenter : Text.AlignLeft
            verticalAlignment: Text.AlignVCenter
            anchors.left: control.compact ? parent.left : mark.right
            anchors.leftMargin: control.compact ? 4 : 16
            anchors.right: parent.right
            anchors.rightMargin: 4
            anchors.verticalCenter: parent.verticalCenter
        }
    }
}
