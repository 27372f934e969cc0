"""One ballot engine: what every secret vote of the congress shares, whatever its ballot says.

The evaluation meeting (民主评议) and the livelihood projects' vote (票决) each add only their
ballot's shape (shape.py: what a line may be marked, how a whole ballot is read and counted) and
their result rule. See ARCHITECTURE.md, "One ballot engine".
"""
