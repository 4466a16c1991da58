"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.POSITION_POST_LC = exports.POSITION_LC = exports.POSITION_FT = void 0;
exports.assignPositions = assignPositions;
exports.POSITION_FT = 'FT';
exports.POSITION_LC = 'LC';
exports.POSITION_POST_LC = 'PostLC';
/** Sorts `tps` in journey order (orderAt, key) and fills positions and percentages in place. */
function assignPositions(tps) {
    tps.sort((a, b) => a.orderAt - b.orderAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const tp of tps) {
        tp.position = null;
        tp.firstTouchPercent = tp.leadCreationPercent = tp.uShapedPercent = 0;
    }
    if (tps.length === 0)
        return;
    let lc = -1;
    for (let i = 0; i < tps.length; i++) {
        const c = tps[i].conversionAt;
        if (c !== null && (lc < 0 || c < tps[lc].conversionAt))
            lc = i;
    }
    const ft = 0;
    tps[ft].firstTouchPercent = 100;
    if (lc < 0) {
        // Defensive: no conversion means no lead; only First Touch is defined.
        tps[ft].position = exports.POSITION_FT;
        return;
    }
    tps[lc].leadCreationPercent = 100;
    const labels = tps.map(() => []);
    labels[ft].push(exports.POSITION_FT);
    labels[lc].push(exports.POSITION_LC);
    for (let i = 0; i < tps.length; i++)
        if (i !== lc && tps[i].conversionAt !== null)
            labels[i].push(exports.POSITION_POST_LC);
    tps.forEach((tp, i) => (tp.position = labels[i].length ? labels[i].join(', ') : null));
    // R10 U-shaped: 40/40/20, 50/50 with nothing between, 100 when FT is LC.
    if (lc === ft) {
        tps[ft].uShapedPercent = 100;
        return;
    }
    const middle = [];
    for (let i = ft + 1; i < lc; i++)
        if (tps[i].conversionAt === null)
            middle.push(i);
    if (middle.length === 0) {
        tps[ft].uShapedPercent = 50;
        tps[lc].uShapedPercent = 50;
        return;
    }
    tps[ft].uShapedPercent = 40;
    tps[lc].uShapedPercent = 40;
    const shareHundredths = 2000;
    const each = Math.floor(shareHundredths / middle.length);
    let remainder = shareHundredths - each * middle.length;
    for (const i of middle) {
        tps[i].uShapedPercent = (each + (remainder > 0 ? 1 : 0)) / 100;
        if (remainder > 0)
            remainder--;
    }
}
//# sourceMappingURL=journey.js.map