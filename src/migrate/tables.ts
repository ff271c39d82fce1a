/**
 * The lookups the scanner makes, as one small interface over the compat tables, so that the
 * analysis reads as rules ("this FID is not delivered") and the data stays in compat/*.json.
 */

/** A legacy TR with a REST twin. */
export interface TrRow {
  apiId: string;
  name: string;
  /** Korean input name → REST request key. */
  inputs: Readonly<Record<string, string>>;
  /** Korean output name → REST response key, single and repeated records together. */
  outputs: Readonly<Record<string, string>>;
  /** Legacy input names REST does not need for this TR (account, password). */
  implicitInputs: readonly string[];
  /** Legacy input/output names with no REST key. */
  unmappedInputs: readonly string[];
  unmappedOutputs: readonly string[];
  /** Korean input names whose REST key is required. */
  requiredInputs: readonly string[];
  /** The value the facade sends for a required input left unset (compat/tr-defaults.json). */
  inputDefaults: Readonly<Record<string, string>>;
}

/** One sHogaGb code. */
export interface HogaRow {
  /** REST trde_tp. */
  trdeTp: string;
  /** Korean name (`지정가`). */
  name: string;
  /** Whether the order needs a price. */
  needsPrice: boolean;
  /** Whether the mock domain accepts it. */
  mock: boolean;
}

export interface ScanTables {
  /** The mapped legacy TR (any case: `opt10001`, `OPT10001`), or undefined. */
  tr(code: string): TrRow | undefined;
  /** The Korean name of a legacy TR that has no REST twin, or undefined. */
  legacyOnly(code: string): string | undefined;
  /** Korean input names REST no longer takes (the account comes from the token), with why. */
  implicitInput(name: string): string | undefined;
  /** The api-id for an nOrderType (1..6), credit or not. */
  orderApi(orderType: number, credit: boolean): string | undefined;
  hoga(code: string): HogaRow | undefined;
  /**
   * The REST real types (code and OCX name) SetRealReg registers for these FIDs and codes:
   * the types carrying any of the FIDs for the codes' kind (stock, sector, market-wide).
   * `codes` undefined (computed at run time) is read as stock codes.
   */
  realTypesFor(fids: readonly number[], codes: readonly string[] | undefined): { code: string; name: string }[];
  /** Which of these FIDs no registrable REST real type delivers. */
  undeliveredReal(fids: readonly number[]): number[];
  /** Which of these chejan FIDs REST's 00/04 do not deliver. */
  undeliveredChejan(fids: readonly number[]): number[];
  /** Korean FID name, for messages. */
  fidName(fid: number): string | undefined;
  /** Whether the facade takes this screen number. */
  isScreen(screen: string): boolean;
}
