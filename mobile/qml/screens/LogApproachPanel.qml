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
            // The form's own age bands and genders (its codes, its labels): as many per row as
            // fit whole, so no label breaks inside a word.
            Repeater {
                model: [{ key: "ageband_", list: popup.controller.ageBands, prop: "ageBand" },
                        { key: "gender_", list: popup.controller.genders, prop: "gender" }]
                delegate: GridLayout {
                    id: observedRow
                    required property var modelData
                    Layout.fillWidth: true
                    visible: modelData.list.length > 0
                    columns: Math.max(2, Math.min(modelData.list.length,
                                                  Math.floor(col.width / (KbTheme.fontBody * 10))))
                    columnSpacing: 8
                    rowSpacing: 8
                    Repeater {
                        model: observedRow.modelData.list
                        delegate: KbChoiceButton {
                            required property var modelData
                            readonly property string prop: observedRow.modelData.prop
                            objectName: observedRow.modelData.key + modelData.name
                            Layout.fillWidth: true
                            compact: true
                            text: modelData.label
                            checked: popup[prop] === modelData.name
                            onClicked: popup[prop] = (popup[prop] === modelData.name ? "" : modelData.name)
                        }
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
