"""Conformity documents: CRA Annex II/V/VII and the steward policy of Art. 24."""
