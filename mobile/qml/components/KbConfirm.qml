// SPDX-License-Identifier: Apache-2.0
// "Are you sure?" with two big buttons; nothing happens until the fieldworker confirms.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Popup {
    id: popup
    property string message
    property string confirmText: KbTheme.tr.confirm_yes
    signal confirmed()

    parent: Overlay.overlay // window coordinates, whatever screen declares it
    modal: true
    // No zoom/fade: it is there at once, and a tap during an animation never misses.
    enter: Transition {}
    exit: Transition {}
    focus: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 40 : 600, 640)
    padding: 24
    background: Rectangle {
        radius: 10
        color: KbTheme.surface
        border.width: Math.max(2, KbTheme.borderWidth)
        border.color: KbTheme.border
    }
    contentItem: ColumnLayout {
        spacing: 20
        KbLabel { text: popup.message; font.pixelSize: KbTheme.fontLarge }
        RowLayout {
            Layout.fillWidth: true
            spacing: KbTheme.spacing
            KbButton {
                objectName: "confirmCancel"
                Layout.fillWidth: true
                text: KbTheme.tr.cancel
                onClicked: popup.close()
            }
            KbButton {
                objectName: "confirmOk"
                Layout.fillWidth: true
                primary: true
                danger: true
                text: popup.confirmText
                onClicked: { popup.close(); popup.confirmed() }
            }
        }
    }
}
