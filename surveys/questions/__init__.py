"""What the question types beyond choices and scales need besides validation: a region's
divisions, a slider's and a file upload's settings, file-type sniffing, and the words an
answer of each type reads as in results and exports."""
