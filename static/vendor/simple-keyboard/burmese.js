/*!
 * simple-keyboard-layouts v3.4.265, build/layouts/burmese.js (Burmese)
 * https://github.com/hodgef/simple-keyboard-layouts
 * Copyright (c) 2019 Francisco Hodge and project contributors. MIT License,
 * see LICENSE.simple-keyboard-layouts in this directory.
 *
 * Converted from an ES module to a plain script (no import/export, no eval):
 *   sed 's/^export default {$/(window.SimpleKeyboardLayouts = window.SimpleKeyboardLayouts || {}).burmese = {/'
 * The layout object itself is unchanged.
 */
/**
 * Layout: Burmese
 * Source: U Kyi Win (https://github.com/ukyiwin)
 */
(window.SimpleKeyboardLayouts = window.SimpleKeyboardLayouts || {}).burmese = {
    layout: {
        default: [
            "\u1050 \u1041 \u1042 \u1043 \u1044 \u1045 \u1046 \u1047 \u1048 \u1049 \u1040 \u002D \u003D {bksp}",
            "{tab} \u1006 \u1010 \u1014 \u1019 \u1021 \u1015 \u1000 \u1004 \u101E \u1005 \u101F \u1029 \u104F",
            "{lock} \u1031 \u103A \u102D \u1039 \u102B \u1037 \u103B \u102F \u1030 \u1038 \u0027 {enter}",
            "{shift} \u1016 \u1011 \u1001 \u101C \u1018 \u100A \u102C \u002C \u002E \u002F {shift}",
            ".com @ {space}",
        ],
        shift: [
            "\u100E \u100D \u1052 \u100B \u1053 \u1054 \u1055 \u101B \u002A \u0028 \u0029 \u005F \u002B {bksp}",
            "{tab} \u1008 \u101D \u1023 \u104E \u1024 \u104C \u1025 \u104D \u103F \u100F \u1027 \u102A \u1051",
            "{lock} \u1017 \u103D \u102E \u1064 \u103C \u1036 \u1032 \u1012 \u1013 \u1002 \u0022 {enter}",
            "{shift} \u1007 \u100C \u1003 \u1020 \u101A \u1009 \u1026 \u104A \u104B \u003F {shift}",
            ".com @ {space}",
        ],
    },
};
