// SPDX-License-Identifier: Apache-2.0
// An approach that did not become an interview: tap the outcome, optionally what was observed,
// then Save (two taps at least, four at most).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Popup {
    id: popup
    required property HomeController controller
    property string disposition
    property string ageBand
    property string gender

    parent: Overlay.overlay // window coordinates, whatever screen declares it
    modal: true
    // No zoom/fade: it is there at once, and a tap during an animation never misses.
    enter: Transition {}
    exit: Transition {}
    focus: true
    anchors.centerIn: Overlay.overlay
    width: parent ? Math.min(parent.width - 24, 900) : 800
    height: parent ? Math.min(parent.height - 24, implicitHeight) : 600
    padding: 16
    onOpened: { disposition = ""; ageBand = ""; gender = "" }
    background: Rectangle {
        radius: 10
        color: KbTheme.background
        border.width: Math.max(2, KbTheme.borderWidth)
        border.color: KbTheme.border
    }

    contentItem: Flickable {
        implicitHeight: col.implicitHeight
        contentHeight: col.implicitHeight
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ColumnLayout {
            id: col
            width: parent.width
            spacing: KbTheme.spacing
            KbHeading { text: KbTheme.tr.log_approach }
            GridLayout {
                Layout.fillWidth: true
                columns: popup.width > 700 ? 3 : 2
                columnSpacing: 8
                rowSpacing: 8
                Repeater {
                    model: popup.controller.dispositions
                    delegate: KbChoiceButton {
                        required property string modelData
                        objectName: "disposition_" + modelData
                        Layout.fillWidth: true
                        compact: true
                        text: KbTheme.tr["disposition_" + modelData]
                        checked: popup.disposition === modelData
                        onClicked: popup.disposition = modelData
                    }
                }
            }
            KbLabel { text: KbTheme.tr.observed_optional; muted: true }
            RowLayout {
                Layout.fillWidth: true
                spacing: 8
                Repeater {
                    model: popup.controller.ageBands
                    delegate: KbChoiceButton {
                        required property string modelData
                        objectName: "ageband_" + modelData
                        Layout.fillWidth: true
                        compact: true
                        text: modelData
                        checked: popup.ageBand === modelData
                        onClicked: popup.ageBand = (popup.ageBand === modelData ? "" : modelData)
                    }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 8
                Repeater {
                    model: popup.controller.genders
                    delegate: KbChoiceButton {
                        required property string modelData
                        objectName: "gender_" + modelData
                        Layout.fillWidth: true
                        compact: true
                        text: KbTheme.tr["gender_" + modelData]
                        checked: popup.gender === modelData
                        onClicked: popup.gender = (popup.gender === modelData ? "" : modelData)
                    }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: KbTheme.spacing
                KbButton {
                    objectName: "cancelApproachButton"
                    Layout.fillWidth: true
                    text: KbTheme.tr.cancel
                    onClicked: popup.close()
                }
                KbButton {
                    objectName: "saveApproachButton"
                    Layout.fillWidth: true
                    primary: true
                    enabled: popup.disposition !== ""
                    text: KbTheme.tr.save
                    onClicked: {
                        if (popup.controller.logApproach(popup.disposition, popup.ageBand, popup.gender))
                            popup.close()
                    }
                }
            }
        }
    }
}
