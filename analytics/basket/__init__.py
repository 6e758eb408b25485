"""Cross-sell analysis, pure (no Django): category co-purchase rules over customer histories,
the next likely category per customer with its evidence, and the cross-sell rate per quarter."""
