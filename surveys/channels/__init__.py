"""Channels beyond email: WeChat (share cards, JS-SDK, OAuth identity) and SMS invitations."""
