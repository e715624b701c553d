"""The customer's mail: what a change of a case tells the customer, staged in the change's commit."""
