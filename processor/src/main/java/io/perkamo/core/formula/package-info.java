/**
 * Integer award formulas. Fractional context values are rejected ({@code non_numeric_value})
 * rather than truncated: amounts are integers in minor units and rounding money silently would
 * hide a producer bug.
 */
package io.perkamo.core.formula;
