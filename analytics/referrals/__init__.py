"""Referrals: a promoter's personal code on the thank-you page, the customers it brings (through
the link or an import's referral code column), the referral rate and word-of-mouth value."""
