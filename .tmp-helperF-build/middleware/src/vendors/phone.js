"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_PHONE_REGION = void 0;
exports.toE164 = toE164;
exports.formatForDisplay = formatForDisplay;
exports.phoneSpellings = phoneSpellings;
const libphonenumber_js_1 = require("libphonenumber-js");
/**
 * Phone numbers arrive in each vendor's own format (CallRail "+15555550123", Invoca "866-555-1234",
 * CTM "+1 (555) 555-0123", DialogTech "5555550123"). Everything downstream (Task fields, Lead/Contact
 * matching) uses E.164. Pure functions, no I/O.
 */
exports.DEFAULT_PHONE_REGION = 'US';
/**
 * E.164 form of a vendor phone number, or null when it is not a phone number at all (blocked caller id,
 * "anonymous", too short). "Possible" rather than "valid" on purpose: fictional 555 numbers and newly
 * assigned ranges must still pass through unchanged.
 */
function toE164(raw, region = exports.DEFAULT_PHONE_REGION) {
    if (typeof raw !== 'string' && typeof raw !== 'number')
        return null;
    const text = String(raw).trim();
    if (!/\d/.test(text))
        return null;
    const parsed = (0, libphonenumber_js_1.parsePhoneNumberFromString)(text, region);
    if (!parsed || !parsed.isPossible())
        return null;
    return parsed.number;
}
/** "+1 555 555 0123" style for people (Task subject); the E.164 text when it cannot be parsed. */
function formatForDisplay(e164) {
    const parsed = (0, libphonenumber_js_1.parsePhoneNumberFromString)(e164);
    return parsed ? parsed.formatInternational() : e164;
}
/**
 * The spellings a Salesforce user may have typed into Phone/MobilePhone for this number. SOQL matches
 * text exactly, so the Lead/Contact lookup asks for each of these. NANP numbers get the common US
 * layouts; other countries their national and international forms.
 */
function phoneSpellings(e164) {
    const parsed = (0, libphonenumber_js_1.parsePhoneNumberFromString)(e164);
    if (!parsed)
        return [e164];
    const national = String(parsed.nationalNumber);
    const cc = String(parsed.countryCallingCode);
    const out = new Set([
        e164,
        `${cc}${national}`,
        national,
        parsed.formatNational(),
        parsed.formatInternational(),
        parsed.formatInternational().replace(/ /g, '-'),
    ]);
    if (cc === '1' && national.length === 10) {
        const [a, b, c] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
        for (const s of [
            `(${a}) ${b}-${c}`,
            `(${a})${b}-${c}`,
            `${a}-${b}-${c}`,
            `${a}.${b}.${c}`,
            `${a} ${b} ${c}`,
            `+1 (${a}) ${b}-${c}`,
            `+1 ${a}-${b}-${c}`,
            `+1-${a}-${b}-${c}`,
            `1-${a}-${b}-${c}`,
            `1 (${a}) ${b}-${c}`,
            `+1.${a}.${b}.${c}`,
        ]) {
            out.add(s);
        }
    }
    return [...out];
}
//# sourceMappingURL=phone.js.map